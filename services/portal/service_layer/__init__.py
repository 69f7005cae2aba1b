"""Use cases of the portal: sign-in, and the pages a member uses."""
