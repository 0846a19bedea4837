order = #{id: 7, items: ["a", "b"], paid: TRUE}
TALK TOYAML(order)
TALK DAYS(2)
TALK DAYS(0.5)
