"""Batch runs (``generalbots.basic.batch``): outcomes per file, inputs, offline fakes, limits."""

import json

from generalbots.basic.batch import format_json, format_text, run_batch, run_file


def write(tmp_path, name, text):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_each_file_gets_an_outcome_with_line_and_message(tmp_path):
    write(tmp_path, "a_done.bas", 'TALK "hi"\n')
    write(tmp_path, "b_wait.bas", 'HEAR name\nHEAR age\nTALK age\n')
    write(tmp_path, "c_fail.bas", 'TALK 1\nx = 1 / 0\n')
    write(tmp_path, "d_syntax.bas", 'TALK 1\nx = (1 +\n')

    outcomes = run_batch([tmp_path], inputs=["Ana"])

    assert [(o.path.rsplit("/", 1)[-1], o.outcome, o.line, o.message) for o in outcomes] == [
        ("a_done.bas", "completed", None, ""),
        ("b_wait.bas", "waiting", 2, "waiting for an answer (HEAR)"),
        ("c_fail.bas", "error", 2, "division by zero"),
        ("d_syntax.bas", "error", 2, "'(' is never closed"),
    ]


def test_every_file_starts_with_the_inputs_and_a_fresh_host(tmp_path):
    write(tmp_path, "a.bas", 'HEAR x\nSET BOT MEMORY "k", x\n')
    write(tmp_path, "b.bas", 'HEAR x\nk = GET BOT MEMORY "k"\nIF k THEN\n THROW "shared"\nEND IF\n')

    outcomes = run_batch([tmp_path], inputs=["one"])

    assert [o.outcome for o in outcomes] == ["completed", "completed"]


def test_offline_http_is_a_fake_and_relative_urls_use_the_package_api_url(tmp_path):
    write(tmp_path, "shop.gbai/shop.gbot/config.csv", "name,value\n# comment\napi-url,https://api.example.com/v1\n")
    path = write(tmp_path, "shop.gbai/shop.gbdialog/api.bas",
                 'r = GET "/status"\nIF UBOUND(KEYS(r)) <> 0 THEN\n THROW "not empty"\nEND IF\n'
                 'SEND SMS "+1", "x"\nSEND MAIL "a@b.c", "s", "b"\nx = LLM "hi"\nWAIT 3600\n')
    seen = []

    assert run_file(path, offline=True).outcome == "completed"
    online = run_file(path, http=lambda method, url, body, headers: seen.append((method, url)) or {})
    assert seen == [("GET", "https://api.example.com/v1/status")]
    assert (online.outcome, online.line, online.message) == (
        "error", 5, "SEND SMS is not available here")


def test_the_offline_reply_comes_from_the_bot_config(tmp_path):
    write(tmp_path, "b.gbai/b.gbot/config.csv", 'name,value\noffline-http-reply,"{""ok"": 1}"\n')
    path = write(tmp_path, "b.gbai/b.gbdialog/x.bas", 'r = POST "https://x.example/y", 1\nTALK r.ok\nRETURN r.ok\n')

    assert run_file(path, offline=True).outcome == "completed"


def test_a_script_past_its_time_limit_is_an_error(tmp_path):
    path = write(tmp_path, "slow.bas", "FOR i = 1 TO 900000\n  x = i * 2\nNEXT\n")

    outcome = run_file(path, timeout=0.05)

    assert (outcome.outcome, outcome.message) == ("error", "took longer than 0.05 s")


def test_many_small_scripts_in_one_batch_each_start_afresh(tmp_path):
    # speed lives in bench/batch.py (issue 19: at least 20 small scripts a second)
    for k in range(20):
        write(tmp_path, f"s{k:02}.bas", f'x = {k}\nTALK "n " + x\nHEAR a\nTALK a\n')
    outcomes = run_batch([tmp_path], inputs=["yes"])
    assert [o.outcome for o in outcomes] == ["completed"] * 20


def test_inputs_answer_hear_in_order_then_the_script_is_waiting(tmp_path):
    path = write(tmp_path, "ask.bas", 'HEAR a\nHEAR b AS INTEGER\nIF a <> "one" OR b <> 2 THEN\n'
                                      ' THROW "out of order: " + a + b\nEND IF\nTALK "ok"\nHEAR c\n')

    assert (run_file(path, inputs=["one", "2", "three"]).outcome) == "completed"
    waiting = run_file(path, inputs=["one", "2"])
    assert (waiting.outcome, waiting.line, waiting.message) == (
        "waiting", 7, "waiting for an answer (HEAR)")


def test_offline_mail_sms_and_templates_are_recorded_and_llm_is_the_offline_model(tmp_path):
    write(tmp_path, "b.gbai/b.gbot/config.csv", "name,value\napi-url,https://crm.example/api/\n"
                                               'offline-http-reply,"{""id"": 7}"\n')
    path = write(tmp_path, "b.gbai/b.gbdialog/send.bas",
                 'lead = POST "/leads", #{name: "Ana"}\nIF lead.id <> 7 THEN\n THROW "reply"\nEND IF\n'
                 'answer = LLM "hello"\nIF answer <> "[offline] hello" THEN\n THROW answer\nEND IF\n'
                 'SEND MAIL "ana@x.org", "Welcome", "body"\nSEND SMS "+5511999", "code 1"\n'
                 'SEND TEMPLATE "promo" TO "+5511999"\n')

    outcome = run_file(path, offline=True)

    assert outcome.outcome == "completed", outcome.message
    assert outcome.sent == (("mail", "ana@x.org", "Welcome"), ("sms", "+5511999", "code 1"),
                            ("template", "promo", "+5511999"))


def test_reports_in_text_and_json(tmp_path):
    write(tmp_path, "a.bas", 'TALK 1\n')
    write(tmp_path, "b.bas", 'HEAR x\n')
    outcomes = run_batch([tmp_path])

    text = format_text(outcomes).splitlines()
    data = json.loads(format_json(outcomes))

    assert text[-1] == "ran 2 files: 1 completed, 1 waiting, 0 with errors"
    assert text[1].startswith(f"{tmp_path / 'b.bas'}:1: waiting: waiting for an answer (HEAR) (")
    assert [sorted(f) for f in data["files"]] == [["line", "message", "outcome", "path", "seconds"]] * 2
    assert data["files"][1]["outcome"] == "waiting" and data["files"][1]["line"] == 1


def test_files_live_in_memory_and_offline_images_are_placeholders(tmp_path):
    path = write(tmp_path, "f.bas", 'WRITE "r/a.txt", "x"\nCOPY "r/a.txt", "r/b.txt"\n'
                 'MOVE "r/b.txt", "r/c.txt"\nDELETE FILE "r/a.txt"\nl = DIR "r"\n'
                 'IF l[0] <> "r/c.txt" OR UBOUND(l) <> 1 THEN\n THROW "files"\nEND IF\n'
                 'img = GET IMAGE "cat"\nr = CALL "/x", 1\nALLOW ROLE "admin"\n')

    assert run_file(path, offline=True).outcome == "completed"  # the fake user has every role
    online = run_file(path, http=lambda method, url, body, headers: {})
    assert (online.outcome, online.line, online.message) == (
        "error", 9, "GET IMAGE is not available here")
