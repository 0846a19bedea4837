' Checks: ADD SUGGESTION "label", ADD SUGGESTION "ctx" AS "label", underscore spellings, CLEAR SUGGESTIONS
CLEAR SUGGESTIONS
ADD SUGGESTION "Help"
ADD SUGGESTION "orders" AS "Track my order"
ADD_SUGGESTION "Talk to a person"
TALK "How can I help?"
HEAR topic
CLEAR_SUGGESTIONS
TALK "Topic: " + topic
