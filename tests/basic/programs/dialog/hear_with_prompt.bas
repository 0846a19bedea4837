' Checks: HEAR v AS TYPE WITH "prompt": the prompt is said before asking, and again after an invalid answer
HEAR email AS EMAIL WITH "Your e-mail, please?"
TALK "Saved " + email
