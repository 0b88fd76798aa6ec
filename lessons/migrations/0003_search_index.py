"""Full-text search in the database's own engine.

SQLite: an FTS5 table per searchable model, kept current by triggers, so every
write path (forms, the admin, bulk updates, fixtures) updates the index in the same
transaction. Published or not is read from the content table at query time, so
publishing or withdrawing needs no index change at all.

PostgreSQL: GIN indexes over the same weighted tsvector expressions that
lessons/search.py queries, so the planner can use them.
"""

from django.db import migrations

LESSON_BODY = (
    "coalesce({t}context, '') || ' ' || coalesce({t}insight, '') || ' ' || "
    "coalesce({t}recommendation, '') || ' ' || coalesce({t}evidence, '')"
)
PARTNERSHIP_BODY = (
    "coalesce({t}summary, '') || ' ' || coalesce({t}story, '') || ' ' || "
    "coalesce({t}partnership_success, '') || ' ' || coalesce({t}intervention_impact, '') "
    "|| ' ' || coalesce({t}countries, '')"
)
LESSON_TAGS = (
    "coalesce((SELECT group_concat(tag.name, ' ') FROM lessons_taggedlesson item "
    "JOIN taggit_tag tag ON tag.id = item.tag_id WHERE item.content_object_id = {id}), '')"
)
PARTNERSHIP_TAGS = (
    "coalesce((SELECT group_concat(tag.name, ' ') FROM alliances_taggedpartnership item "
    "JOIN taggit_tag tag ON tag.id = item.tag_id WHERE item.content_object_id = {id}), '')"
)
PARTNERSHIP_PARTNERS = (
    "coalesce((SELECT group_concat(org.name, ' ') FROM alliances_participation part "
    "JOIN alliances_organisation org ON org.id = part.organisation_id "
    "WHERE part.partnership_id = {id}), '')"
)

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE lesson_search USING fts5("
    "title, body, tags, tokenize = 'porter unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE partnership_search USING fts5("
    "title, body, tags, partners, tokenize = 'porter unicode61 remove_diacritics 2')",
    # Index what already exists.
    "INSERT INTO lesson_search (rowid, title, body, tags) SELECT l.id, l.title, "
    f"{LESSON_BODY.format(t='l.')}, {LESSON_TAGS.format(id='l.id')} FROM lessons_lesson l",
    "INSERT INTO partnership_search (rowid, title, body, tags, partners) SELECT p.id, p.name, "
    f"{PARTNERSHIP_BODY.format(t='p.')}, {PARTNERSHIP_TAGS.format(id='p.id')}, "
    f"{PARTNERSHIP_PARTNERS.format(id='p.id')} FROM alliances_partnership p",
    # Lessons.
    "CREATE TRIGGER lesson_search_insert AFTER INSERT ON lessons_lesson BEGIN "
    "INSERT INTO lesson_search (rowid, title, body, tags) VALUES "
    f"(new.id, new.title, {LESSON_BODY.format(t='new.')}, {LESSON_TAGS.format(id='new.id')}); END",
    "CREATE TRIGGER lesson_search_update AFTER UPDATE OF title, context, insight, "
    "recommendation, evidence ON lessons_lesson BEGIN "
    f"UPDATE lesson_search SET title = new.title, body = {LESSON_BODY.format(t='new.')} "
    "WHERE rowid = new.id; END",
    "CREATE TRIGGER lesson_search_delete AFTER DELETE ON lessons_lesson BEGIN "
    "DELETE FROM lesson_search WHERE rowid = old.id; END",
    "CREATE TRIGGER lesson_search_tag_insert AFTER INSERT ON lessons_taggedlesson BEGIN "
    f"UPDATE lesson_search SET tags = {LESSON_TAGS.format(id='new.content_object_id')} "
    "WHERE rowid = new.content_object_id; END",
    "CREATE TRIGGER lesson_search_tag_delete AFTER DELETE ON lessons_taggedlesson BEGIN "
    f"UPDATE lesson_search SET tags = {LESSON_TAGS.format(id='old.content_object_id')} "
    "WHERE rowid = old.content_object_id; END",
    # Partnerships.
    "CREATE TRIGGER partnership_search_insert AFTER INSERT ON alliances_partnership BEGIN "
    "INSERT INTO partnership_search (rowid, title, body, tags, partners) VALUES "
    f"(new.id, new.name, {PARTNERSHIP_BODY.format(t='new.')}, "
    f"{PARTNERSHIP_TAGS.format(id='new.id')}, {PARTNERSHIP_PARTNERS.format(id='new.id')}); END",
    "CREATE TRIGGER partnership_search_update AFTER UPDATE OF name, summary, story, "
    "partnership_success, intervention_impact, countries ON alliances_partnership BEGIN "
    f"UPDATE partnership_search SET title = new.name, body = {PARTNERSHIP_BODY.format(t='new.')} "
    "WHERE rowid = new.id; END",
    "CREATE TRIGGER partnership_search_delete AFTER DELETE ON alliances_partnership BEGIN "
    "DELETE FROM partnership_search WHERE rowid = old.id; END",
    "CREATE TRIGGER partnership_search_tag_insert AFTER INSERT ON alliances_taggedpartnership "
    f"BEGIN UPDATE partnership_search SET tags = "
    f"{PARTNERSHIP_TAGS.format(id='new.content_object_id')} "
    "WHERE rowid = new.content_object_id; END",
    "CREATE TRIGGER partnership_search_tag_delete AFTER DELETE ON alliances_taggedpartnership "
    f"BEGIN UPDATE partnership_search SET tags = "
    f"{PARTNERSHIP_TAGS.format(id='old.content_object_id')} "
    "WHERE rowid = old.content_object_id; END",
    "CREATE TRIGGER partnership_search_partner_insert AFTER INSERT ON alliances_participation "
    f"BEGIN UPDATE partnership_search SET partners = "
    f"{PARTNERSHIP_PARTNERS.format(id='new.partnership_id')} "
    "WHERE rowid = new.partnership_id; END",
    "CREATE TRIGGER partnership_search_partner_delete AFTER DELETE ON alliances_participation "
    f"BEGIN UPDATE partnership_search SET partners = "
    f"{PARTNERSHIP_PARTNERS.format(id='old.partnership_id')} "
    "WHERE rowid = old.partnership_id; END",
    # A renamed tag or organisation is found under its new name.
    "CREATE TRIGGER search_tag_rename AFTER UPDATE OF name ON taggit_tag BEGIN "
    f"UPDATE lesson_search SET tags = {LESSON_TAGS.format(id='lesson_search.rowid')} "
    "WHERE rowid IN (SELECT content_object_id FROM lessons_taggedlesson WHERE tag_id = new.id); "
    f"UPDATE partnership_search SET tags = {PARTNERSHIP_TAGS.format(id='partnership_search.rowid')} "
    "WHERE rowid IN (SELECT content_object_id FROM alliances_taggedpartnership "
    "WHERE tag_id = new.id); END",
    "CREATE TRIGGER search_organisation_rename AFTER UPDATE OF name ON alliances_organisation "
    "BEGIN UPDATE partnership_search SET partners = "
    f"{PARTNERSHIP_PARTNERS.format(id='partnership_search.rowid')} "
    "WHERE rowid IN (SELECT partnership_id FROM alliances_participation "
    "WHERE organisation_id = new.id); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_organisation_rename",
    "DROP TRIGGER IF EXISTS search_tag_rename",
    *(
        f"DROP TRIGGER IF EXISTS {name}"
        for name in (
            "lesson_search_insert",
            "lesson_search_update",
            "lesson_search_delete",
            "lesson_search_tag_insert",
            "lesson_search_tag_delete",
            "partnership_search_insert",
            "partnership_search_update",
            "partnership_search_delete",
            "partnership_search_tag_insert",
            "partnership_search_tag_delete",
            "partnership_search_partner_insert",
            "partnership_search_partner_delete",
        )
    ),
    "DROP TABLE IF EXISTS lesson_search",
    "DROP TABLE IF EXISTS partnership_search",
]

# Must match lessons.search exactly, character for character, for the indexes to be used.
POSTGRES_LESSON_VECTOR = (
    "(setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, " + LESSON_BODY.format(t="") + "), 'B'))"
)
POSTGRES_PARTNERSHIP_VECTOR = (
    "(setweight(to_tsvector('english'::regconfig, coalesce(name, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, "
    + PARTNERSHIP_BODY.format(t="")
    + "), 'B'))"
)
POSTGRES_CREATE = [
    f"CREATE INDEX lesson_search_gin ON lessons_lesson USING gin ({POSTGRES_LESSON_VECTOR})",
    "CREATE INDEX partnership_search_gin ON alliances_partnership USING gin "
    f"({POSTGRES_PARTNERSHIP_VECTOR})",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS lesson_search_gin",
    "DROP INDEX IF EXISTS partnership_search_gin",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0002_sample_marker"),
        ("alliances", "0002_sample_marker"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
