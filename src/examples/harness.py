"""qbank's runner for ```python env=NAME``` blocks (embedded in the qbank binary).

    python -I harness.py run SCRIPT     run SCRIPT (a block)
    python -I harness.py migrate        check the migrations are up to date and apply them

The environment comes as JSON in QBANK_ENV: {"path": folder put first on sys.path or null,
"django": settings module or null, "database": a Django DATABASES entry or null}. With
Django, the database replaces the project's own, django.setup() runs, and a block runs in
the namespace `python manage.py shell` gives (Django 5.2+: every model imported).
"""

import json
import os
import sys


def setup_django(config):
    os.environ["DJANGO_SETTINGS_MODULE"] = config["django"]
    database = config["database"]
    if database["ENGINE"] == "django.db.backends.mysql":
        try:
            import MySQLdb  # noqa: F401  (mysqlclient)
        except ImportError:
            try:
                import pymysql
            except ImportError:
                sys.exit(
                    "qbank: a Django environment on MariaDB needs a MySQL driver: "
                    "add mysqlclient or PyMySQL to its requirements"
                )
            pymysql.install_as_MySQLdb()
    from django.conf import settings

    settings.DATABASES = {"default": database}
    import django

    django.setup()


def shell_namespace():
    from django.core.management.commands import shell

    command = shell.Command()
    if hasattr(command, "get_namespace"):
        return command.get_namespace()
    from django.apps import apps

    return {model.__name__: model for model in apps.get_models()}


def migrate():
    from django.core.management import call_command

    try:
        call_command("makemigrations", check=True, dry_run=True, verbosity=1)
    except SystemExit:
        sys.exit(
            "qbank: the models changed without a migration: "
            "run `python manage.py makemigrations` in the project"
        )
    call_command("migrate", interactive=False, verbosity=0)


def main():
    mode = sys.argv[1]
    config = json.loads(os.environ["QBANK_ENV"])
    if config.get("path"):
        sys.path.insert(0, config["path"])
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    if config.get("django"):
        setup_django(config)
        if mode == "migrate":
            migrate()
            return
        namespace.update(shell_namespace())
    script = sys.argv[2]
    with open(script, encoding="utf-8") as f:
        source = f.read()
    namespace["__file__"] = script
    sys.argv = [script]
    code = compile(source, "example.py", "exec")
    try:
        exec(code, namespace)
    except SystemExit:
        raise
    except BaseException as e:
        # The block's own traceback, without this harness's frames.
        import traceback

        traceback.print_exception(type(e), e, e.__traceback__.tb_next)
        sys.exit(1)


main()
