"""The LLM provider's calls are bounded: the model's timeout is a total deadline, replies a size."""

import time

import pytest

from llmrouter.providers import MAX_REPLY_BYTES, ModelConfig, ProviderError, chat

TIMEOUT = 2.0
MESSAGES = [{"role": "user", "content": "Tell me a long story"}]


def config(server, model: str) -> ModelConfig:
    return ModelConfig(url=server.url + "/v1", model=model, timeout=TIMEOUT)


@pytest.mark.parametrize("streamed", [False, True], ids=["whole", "streamed"])
def test_an_answer_dripped_byte_by_byte_ends_at_the_model_timeout(llm_server, streamed):
    llm_server.configure("drip", reply="one two three four five six seven eight nine ten", trickle=0.5)
    tokens = []
    started = time.monotonic()

    with pytest.raises(ProviderError, match=r"The model at .*/v1/chat/completions did not answer within 2 s\."):
        chat(MESSAGES, model_config=config(llm_server, "drip"), on_token=tokens.append if streamed else None)

    assert time.monotonic() - started < TIMEOUT + 5
    assert 0 < llm_server.bytes_sent["drip"] < 40  # the connection was dropped, not read to the end
    assert tokens == []


@pytest.mark.parametrize("streamed", [False, True], ids=["whole", "streamed"])
def test_a_huge_answer_is_cut_off_at_the_size_limit(llm_server, streamed):
    llm_server.configure("flood", reply="Once upon a time", pad_bytes=400_000_000)

    with pytest.raises(ProviderError, match=r"sent a reply larger than 10 MB\."):
        chat(MESSAGES, model_config=config(llm_server, "flood"), on_token=(lambda _t: None) if streamed else None)

    assert llm_server.bytes_sent["flood"] < 6 * MAX_REPLY_BYTES  # of 400 MB: the client hung up


def test_a_well_behaved_model_still_answers_through_the_bounded_client(llm_server):
    llm_server.configure("fine", reply="All good.")
    tokens = []

    result = chat(MESSAGES, model_config=config(llm_server, "fine"), on_token=tokens.append)

    assert result["content"] == "All good." and "".join(tokens) == "All good."
