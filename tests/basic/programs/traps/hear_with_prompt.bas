' Checks: trap: HEAR v WITH "prompt" without a type, and HEAR v AS TYPE WITH "prompt" DEFAULT e
HEAR nome WITH "Qual é o seu nome?"
TALK "Prazer, " + nome
HEAR idade AS INTEGER WITH "Sua idade?" DEFAULT 18
TALK "Idade: " + idade
