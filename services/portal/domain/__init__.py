"""The portal's pure rules: who is signed in, sign-in links, rate limits, profile forms."""
