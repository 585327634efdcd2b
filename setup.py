from setuptools import find_packages, setup

setup(
    name="kefu",
    version="0.1.0",
    description="Kefu (客服): a plugin-based, self-hosted helpdesk for Chinese service companies",
    python_requires=">=3.11",
    packages=find_packages(include=["core", "core.*", "plugins", "plugins.*"]),
    py_modules=["wsgi"],
    include_package_data=True,
    package_data={"": ["templates/**/*", "static/**/*", "translations/**/*", "migrations/**/*"]},
    install_requires=[
        "flask>=3.1,<3.2",
        "flask-admin>=2.2,<2.3",
        "flask-login>=0.6.3",
        "flask-sqlalchemy>=3.1",
        "sqlalchemy>=2.0",
        "flask-migrate>=4.1",
        "alembic>=1.13",
        "flask-wtf>=1.2",
        "flask-babel>=4.0",
        "pluggy>=1.5",
        "limits>=3.13",
        "email-validator>=2.1",
        "gunicorn>=22",
        "holidays>=0.85",
        "psycopg[binary]>=3.2",
        "whoosh3>=3.54,<4",  # the maintained Whoosh fork that imports without warnings on 3.11–3.13
        "jieba>=0.42.1,<0.43",
        "nh3>=0.2.17",
        "marshmallow>=4.4,<5",
        "apispec[yaml]>=6.10,<7",
        "apispec-webframeworks>=1.2,<2",
        "rq>=2.0,<3",  # the work queue when REDIS_URL is set (brings the redis client)
        "lunar-python>=1.4.8,<2",  # lunar festival dates and solar terms for the customer-care calendar
        "openpyxl>=3.1,<4",  # XLSX exports of the reports
        "reportlab>=4,<5",  # PDF reports of plugins (logistics monthly statistics)
    ],
    extras_require={
        "test": ["pytest>=8", "pytest-xdist>=3.5", "playwright>=1.45", "aiosmtpd==1.4.6", "openapi-spec-validator>=0.9",
                 "time-machine>=2.14"],
    },
    entry_points={
        "console_scripts": ["kefu=core.cli:main"],
        # Bundled industry plugins are declared here; a third party declares its own in its package.
        "kefu.plugins": ["water = plugins.water", "property = plugins.property", "catering = plugins.catering",
                         "logistics = plugins.logistics"],
    },
)
