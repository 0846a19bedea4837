' Checks: FOR EACH over objects in a list, the keys of an object, the characters of a text, NULL (no iteration), a copy of the list
people = [{"name": "Ana"}, {"name": "Bia"}]
FOR EACH p IN people
  TALK p.name
NEXT
FOR EACH k IN {"x": 1, "y": 2}
  TALK "key " + k
NEXT
FOR EACH ch IN "abc"
  TALK ch
NEXT
FOR EACH z IN NULL
  TALK "never"
NEXT
nums = [1, 2]
FOR EACH n IN nums
  nums.push(n * 10)
NEXT
TALK nums
