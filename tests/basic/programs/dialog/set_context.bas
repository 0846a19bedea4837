' Checks: SET CONTEXT "name", e / SET CONTEXT "name" AS e / SET CONTEXT e add text to the LLM context
SET CONTEXT "customer", "Ana, VIP since 2020"
SET CONTEXT "rules" AS "Always be polite"
SET CONTEXT "Today is a holiday"
plan = "gold"
SET CONTEXT "plan", "Plan: " + plan
