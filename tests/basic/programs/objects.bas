obj = {"name": "Ana", "tags": ["a", "b"]}
TALK obj.name
obj.city = "Recife"
TALK obj.city
obj.tags.push("c")
TALK obj.tags
TALK obj.tags.length
m = #{count: 2, label: "x"}
TALK m.count + 1
items = NEW ARRAY
items.push(1)
items[1] = 2
TALK items
o = NEW OBJECT
o.a = 1
TALK o
WITH p
  name = "Bob"
  .age = 41
END WITH
TALK p.name & " " & p.age
APPEND items, 3
TALK UBOUND(items)
TALK items[0]
arr = [1, 2, 3]
arr[0] = 10
TALK arr
