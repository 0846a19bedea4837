' Checks: trap: the three object literal forms ({"k": v}, #{k: v}, WITH ... END WITH) build equal objects
a = {"nome": "Ana", "idade": 30}
b = #{nome: "Ana", idade: 30}
WITH c
  nome = "Ana"
  .idade = 30
END WITH
TALK a
TALK b
TALK c
TALK a = b AND b = c
