' Checks: trap: JS-style method calls in real scripts: trim/toUpperCase on answers, push on lists, .length
HEAR nome
nome = nome.trim()
TALK nome.toUpperCase()
itens = []
itens.push("pão")
itens.push("leite")
TALK "Você tem " + itens.length + " itens"
IF nome.toLowerCase().includes("ana") THEN TALK "oi Ana"
