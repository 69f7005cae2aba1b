// The name picker of the coordinators' forms: while a coordinator types in a member
// field, ask the portal for matching members and offer them in the field's <datalist>.
// Progressive enhancement only: without this script the list holds the members shown
// on the page, and the server resolves any name or id typed when the form is sent.
(function () {
  "use strict";
  var waiting = null;
  function fill(input, items) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    while (list.firstChild) { list.removeChild(list.firstChild); }
    items.forEach(function (value) {
      var option = document.createElement("option");
      option.value = value;
      list.appendChild(option);
    });
  }
  function ask(input) {
    var text = input.value.trim();
    if (text.length < 2 || /\([^()\s]+\)$/.test(text)) { return; }
    var url = input.getAttribute("data-picker") + "?q=" + encodeURIComponent(text);
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (answer) { return answer.ok ? answer.json() : { items: [] }; })
      .then(function (found) { if (input.value.trim() === text) { fill(input, found.items); } })
      .catch(function () { /* keep the list as it is: the server still resolves names */ });
  }
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.hasAttribute || !input.hasAttribute("data-picker")) { return; }
    clearTimeout(waiting);
    waiting = setTimeout(function () { ask(input); }, 200);
  });
})();
