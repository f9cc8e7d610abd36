#!/usr/bin/env python3
"""Writes test/fixtures/django/*.json with hashes and tokens made by Django itself.

Run by hand (never by CI) with Debian's packages:
    apt-get install python3-django python3-djangorestframework-simplejwt python3-argon2 python3-bcrypt
    /usr/bin/python3 scripts/django-fixtures.py

hashes.json: for each Django hasher, a hash of a known password (Django's own make_password,
with its default parameters; argon2i through a subclass, as older Django sites have it).
simplejwt.json: an access and a refresh token from simplejwt's own classes, signed with a
known key at a fixed time (the clock is frozen), with the default claim names.
"""
import datetime
import json
import pathlib
import sys

import django
from django.conf import settings

SIGNING_KEY = 'django-fixture-signing-key-for-doorman-tests-0123456789'
NOW = datetime.datetime(2026, 1, 1, 0, 0, 0, tzinfo=datetime.timezone.utc)
OUT = pathlib.Path(__file__).resolve().parent.parent / 'test' / 'fixtures' / 'django'

settings.configure(
    SECRET_KEY=SIGNING_KEY,
    USE_TZ=True,
    INSTALLED_APPS=['django.contrib.contenttypes', 'django.contrib.auth', 'rest_framework', 'rest_framework_simplejwt'],
    DATABASES={'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}},
    PASSWORD_HASHERS=[
        'django.contrib.auth.hashers.PBKDF2PasswordHasher',
        'django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher',
        'django.contrib.auth.hashers.Argon2PasswordHasher',
        'django.contrib.auth.hashers.BCryptSHA256PasswordHasher',
        'django.contrib.auth.hashers.BCryptPasswordHasher',
    ],
    SIMPLE_JWT={
        'SIGNING_KEY': SIGNING_KEY,
        'ALGORITHM': 'HS256',
        'ACCESS_TOKEN_LIFETIME': datetime.timedelta(minutes=5),
        'REFRESH_TOKEN_LIFETIME': datetime.timedelta(days=1),
    },
)
django.setup()

import argon2  # noqa: E402
from django.contrib.auth import hashers  # noqa: E402


class Argon2iPasswordHasher(hashers.Argon2PasswordHasher):
    """Django before 3.2 hashed with argon2i; such hashes are still in old databases."""

    def params(self):
        params = super().params()
        params.type = argon2.low_level.Type.I
        return params


def hash_fixtures():
    cases = [
        ('pbkdf2_sha256', hashers.PBKDF2PasswordHasher(), 'correct horse battery staple'),
        ('pbkdf2_sha1', hashers.PBKDF2SHA1PasswordHasher(), 'Tr0ub4dor&3 sha1'),
        ('argon2id', hashers.Argon2PasswordHasher(), 'argon2 id 비밀번호'),
        ('argon2i', Argon2iPasswordHasher(), 'argon2 i password'),
        ('bcrypt_sha256', hashers.BCryptSHA256PasswordHasher(), 'bcrypt sha256 ' + 'long' * 30),
        ('bcrypt', hashers.BCryptPasswordHasher(), 'plain bcrypt pw'),
    ]
    out = []
    for name, hasher, password in cases:
        encoded = hasher.encode(password, hasher.salt())
        assert hashers.check_password(password, encoded, preferred=hasher)
        out.append({'name': name, 'password': password, 'encoded': encoded})
    unusable = hashers.make_password(None)
    assert not hashers.is_password_usable(unusable)
    out.append({'name': 'unusable', 'password': '', 'encoded': unusable})
    return {'django': django.get_version(), 'hashes': out}


def token_fixtures():
    import rest_framework_simplejwt
    from rest_framework_simplejwt import tokens

    tokens.aware_utcnow = lambda: NOW  # freeze simplejwt's clock

    class User:  # what for_user reads: the USER_ID_FIELD ('id')
        id = 42
        pk = 42
        is_active = True

    refresh = tokens.RefreshToken.for_user(User())
    access = refresh.access_token
    second = tokens.RefreshToken.for_user(User())
    return {
        'simplejwt': rest_framework_simplejwt.__version__ if hasattr(rest_framework_simplejwt, '__version__') else 'debian',
        'signing_key': SIGNING_KEY,
        'algorithm': 'HS256',
        'now': int(NOW.timestamp()),
        'user_id': User.id,
        'access': str(access),
        'access_claims': dict(access.payload),
        'refresh': str(refresh),
        'refresh_claims': dict(refresh.payload),
        'second_refresh': str(second),
    }


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in (('hashes.json', hash_fixtures()), ('simplejwt.json', token_fixtures())):
        (OUT / name).write_text(json.dumps(data, indent=2, ensure_ascii=False) + '\n', encoding='utf-8')
        print('wrote', OUT / name, file=sys.stderr)


if __name__ == '__main__':
    main()
