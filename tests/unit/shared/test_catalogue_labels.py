"""Labels come from the profiles catalogue; unknown codes and outages show the code."""

from __future__ import annotations

import httpx

from shared.catalogue import CatalogueLabels

SKILLS = [
    {"code": "gestion_agenda", "label": "Gestion d'agenda", "label_en": "Diary management"},
    {"code": "budget", "label": "Suivi budgétaire", "label_en": ""},
]


def _labels(handler: httpx.MockTransport) -> CatalogueLabels:
    return CatalogueLabels("http://profiles", lambda ttl: "token", transport=handler)


async def test_labels_are_read_page_by_page_from_the_catalogue_in_both_languages() -> None:
    calls: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/themes":
            return httpx.Response(404)  # a profiles service from before the themes catalogue
        calls.append(str(request.url))
        offset = int(request.url.params["offset"])
        page = SKILLS[offset : offset + 1]
        return httpx.Response(200, json={"items": page, "total": 2, "limit": 1, "offset": offset})

    labels = _labels(httpx.MockTransport(answer))
    import shared.catalogue as module

    module.PAGE, saved = 1, module.PAGE
    try:
        await labels.refresh()
    finally:
        module.PAGE = saved
    assert len(calls) == 2
    assert labels.label("gestion_agenda", "fr") == "Gestion d'agenda"
    assert labels.label("gestion_agenda", "en") == "Diary management"
    assert labels.label("budget", "en") == "Suivi budgétaire"  # no English label: French
    assert labels.label("not_in_catalogue", "fr") == "not in catalogue"


async def test_an_outage_keeps_the_labels_already_known() -> None:
    up = True

    def answer(request: httpx.Request) -> httpx.Response:
        if not up:
            return httpx.Response(503)
        items = SKILLS if request.url.path == "/skills" else []
        return httpx.Response(200, json={"items": items, "total": len(items), "offset": 0})

    labels = _labels(httpx.MockTransport(answer))
    await labels.refresh()
    up = False
    await labels.refresh(force=True)
    assert labels.label("gestion_agenda", "fr") == "Gestion d'agenda"


async def test_an_answer_of_another_shape_keeps_the_labels_and_raises_nothing() -> None:
    shapes = iter([{"items": SKILLS, "total": 2}, {"unexpected": True}, [{"no_code": 1}]])

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/themes":
            return httpx.Response(200, json={"items": [], "total": 0})
        return httpx.Response(200, json=next(shapes))

    labels = _labels(httpx.MockTransport(answer))
    await labels.refresh()
    await labels.refresh(force=True)
    await labels.refresh(force=True)
    assert labels.label("gestion_agenda", "en") == "Diary management"


async def test_theme_labels_are_read_from_the_themes_catalogue_too() -> None:
    themes = [
        {"code": "outils_numeriques", "label": "Outils numériques", "label_en": "Digital tools"}
    ]

    def answer(request: httpx.Request) -> httpx.Response:
        items = SKILLS if request.url.path == "/skills" else themes
        return httpx.Response(200, json={"items": items, "total": len(items), "offset": 0})

    labels = _labels(httpx.MockTransport(answer))
    await labels.refresh()
    assert labels.label("outils_numeriques", "fr") == "Outils numériques"
    assert labels.label("outils_numeriques", "en") == "Digital tools"
    assert labels.label("gestion_agenda", "fr") == "Gestion d'agenda"
