' Checks: #{key: expr} maps with bare keys and computed values, nested
price = 10
item = #{name: "pen", price: price * 2, ok: price > 5}
TALK item.name
TALK item.price
TALK item.ok
TALK item
nested = #{inner: #{x: 1}, list: [1, 2]}
TALK nested.inner.x
TALK nested
