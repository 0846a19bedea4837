TALK "one"
CHART "donut", sales
TALK "two"
