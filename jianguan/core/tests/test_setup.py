import pytest

from jianguan import settings as jsettings


def test_env_bool_is_strict(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert jsettings.env_bool("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "ture")
    with pytest.raises(jsettings.SettingError):
        jsettings.env_bool("X_FLAG")


def test_debug_is_off_unless_asked(settings):
    assert settings.DEBUG is False


def test_passwords_are_hashed_with_argon2_in_production():
    assert jsettings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_secrets_file_is_private():
    import os
    import stat

    mode = os.stat(jsettings.VAR_DIR / "secrets.json").st_mode
    assert not mode & (stat.S_IRGRP | stat.S_IROTH)


def test_sqlite_runs_in_wal_with_immediate_transactions(settings):
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]


def test_console_script_runs_management_commands(capsys):
    from jianguan.cli import main

    main(["jianguan", "help", "audit"])
    assert "verify" in capsys.readouterr().out
