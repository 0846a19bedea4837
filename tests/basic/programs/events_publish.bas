ON EVENT "refund_failed" DO
  TALK "A refund failed"
END ON
PUBLISH EVENT "refund_done" WITH {"amount": 10}
PUBLISH EVENT "ping"
TALK "published"
