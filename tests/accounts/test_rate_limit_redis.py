"""With REDIS_URL the login limit is shared by every worker and host (two apps stand in for two workers)."""
import os
import uuid

import pytest

from tests.conftest import IS_CI, login

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if IS_CI:
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL} (start redis-server to run this test)")
    return REDIS_URL


def test_login_limit_is_shared_through_redis(make_app, redis_url):
    settings = {"REDIS_URL": redis_url, "RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute",
                "RATELIMIT_KEY_PREFIX": f"civic-test-{uuid.uuid4().hex}"}
    worker_a, worker_b = make_app(**settings), make_app(**settings)
    assert worker_a.config["RATELIMIT_STORAGE_URI"] == redis_url
    a, b = worker_a.test_client(), worker_b.test_client()
    assert [login(a, "nobody", "wrong-password").status_code for _ in range(3)] == [422, 422, 422]
    assert login(b, "nobody", "wrong-password").status_code == 429
    import redis

    keys = redis.Redis.from_url(redis_url).keys(f"*{settings['RATELIMIT_KEY_PREFIX']}*")
    assert keys, "the counter was not kept in Redis"
