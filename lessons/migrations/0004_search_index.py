"""Full-text search in the database's own engine.

SQLite: an FTS5 table per searchable model, kept current by triggers, so every
write path (forms, the admin, bulk updates, fixtures) updates the index in the same
transaction. Published or not is read from the content table at query time, so
publishing or withdrawing needs no index change at all.

On SQLite, a later migration that rebuilds one of the tables these triggers sit on
(Django rebuilds a table to add a unique column, for example) drops its triggers with
it. Since search 0001 the triggers are declared in search/triggers.py and installed
again after every migrate; tests/search/ and tests/core/test_triggers.py check them.

PostgreSQL: a tsvector column per searchable table, kept current by triggers in
the same way, with a GIN index.
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
# Partner names are searchable only where the case study shows them.
PARTNERSHIP_PARTNERS = (
    "CASE WHEN (SELECT hide_partner_names FROM alliances_partnership WHERE id = {id}) "
    "THEN '' ELSE coalesce((SELECT group_concat(org.name, ' ') FROM alliances_participation "
    "part JOIN alliances_organisation org ON org.id = part.organisation_id "
    "WHERE part.partnership_id = {id}), '') END"
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
    "CREATE TRIGGER partnership_search_hide_partners AFTER UPDATE OF hide_partner_names "
    "ON alliances_partnership BEGIN UPDATE partnership_search SET partners = "
    f"{PARTNERSHIP_PARTNERS.format(id='new.id')} WHERE rowid = new.id; END",
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
            "partnership_search_hide_partners",
        )
    ),
    "DROP TABLE IF EXISTS lesson_search",
    "DROP TABLE IF EXISTS partnership_search",
]

# PostgreSQL: a tsvector column outside Django's models (Django never reads or writes
# it), computed by BEFORE triggers from the row, its tags and, for case studies, its
# partners' names; changes to tags, partners or names "touch" the owning row so its
# vector is recomputed. A GIN index makes @@ matches index lookups.
POSTGRES_LESSON_BODY = LESSON_BODY.format(t="NEW.")
POSTGRES_PARTNERSHIP_BODY = PARTNERSHIP_BODY.format(t="NEW.")
POSTGRES_LESSON_TAGS = (
    "coalesce((SELECT string_agg(tag.name, ' ') FROM lessons_taggedlesson item "
    "JOIN taggit_tag tag ON tag.id = item.tag_id WHERE item.content_object_id = NEW.id), '')"
)
POSTGRES_PARTNERSHIP_TAGS = (
    "coalesce((SELECT string_agg(tag.name, ' ') FROM alliances_taggedpartnership item "
    "JOIN taggit_tag tag ON tag.id = item.tag_id WHERE item.content_object_id = NEW.id), '')"
)
POSTGRES_PARTNERSHIP_PARTNERS = (
    "CASE WHEN NEW.hide_partner_names THEN '' ELSE "
    "coalesce((SELECT string_agg(org.name, ' ') FROM alliances_participation part "
    "JOIN alliances_organisation org ON org.id = part.organisation_id "
    "WHERE part.partnership_id = NEW.id), '') END"
)


def _postgres_vector_function(name, title, body, *extra):
    weighted = [
        f"setweight(to_tsvector('english'::regconfig, coalesce(NEW.{title}, '')), 'A')",
        f"setweight(to_tsvector('english'::regconfig, {body}), 'B')",
        *(f"setweight(to_tsvector('english'::regconfig, {text}), 'C')" for text in extra),
    ]
    return (
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"NEW.search_vector := {' || '.join(weighted)}; RETURN NEW; END $$"
    )


def _postgres_touch_function(name, statement):
    return (
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {statement.format(row='NEW')}; END IF; "
        f"IF TG_OP IN ('DELETE', 'UPDATE') THEN {statement.format(row='OLD')}; END IF; "
        "RETURN NULL; END $$"
    )


POSTGRES_CREATE = [
    "ALTER TABLE lessons_lesson ADD COLUMN search_vector tsvector",
    "ALTER TABLE alliances_partnership ADD COLUMN search_vector tsvector",
    _postgres_vector_function(
        "lesson_search_vector", "title", POSTGRES_LESSON_BODY, POSTGRES_LESSON_TAGS
    ),
    _postgres_vector_function(
        "partnership_search_vector",
        "name",
        POSTGRES_PARTNERSHIP_BODY,
        POSTGRES_PARTNERSHIP_TAGS,
        POSTGRES_PARTNERSHIP_PARTNERS,
    ),
    "CREATE TRIGGER lesson_search_vector BEFORE INSERT OR UPDATE OF title, context, insight, "
    "recommendation, evidence ON lessons_lesson FOR EACH ROW "
    "EXECUTE FUNCTION lesson_search_vector()",
    "CREATE TRIGGER partnership_search_vector BEFORE INSERT OR UPDATE OF name, summary, story, "
    "partnership_success, intervention_impact, countries, hide_partner_names "
    "ON alliances_partnership FOR EACH ROW EXECUTE FUNCTION partnership_search_vector()",
    # Touching the title (or name) recomputes the owning row's vector.
    _postgres_touch_function(
        "lesson_search_touch",
        "UPDATE lessons_lesson SET title = title WHERE id = {row}.content_object_id",
    ),
    _postgres_touch_function(
        "partnership_search_touch_by_tag",
        "UPDATE alliances_partnership SET name = name WHERE id = {row}.content_object_id",
    ),
    _postgres_touch_function(
        "partnership_search_touch_by_partner",
        "UPDATE alliances_partnership SET name = name WHERE id = {row}.partnership_id",
    ),
    _postgres_touch_function(
        "search_touch_by_tag_name",
        "UPDATE lessons_lesson SET title = title WHERE id IN (SELECT content_object_id "
        "FROM lessons_taggedlesson WHERE tag_id = {row}.id); "
        "UPDATE alliances_partnership SET name = name WHERE id IN (SELECT content_object_id "
        "FROM alliances_taggedpartnership WHERE tag_id = {row}.id)",
    ),
    _postgres_touch_function(
        "search_touch_by_organisation_name",
        "UPDATE alliances_partnership SET name = name WHERE id IN (SELECT partnership_id "
        "FROM alliances_participation WHERE organisation_id = {row}.id)",
    ),
    "CREATE TRIGGER lesson_search_touch AFTER INSERT OR DELETE ON lessons_taggedlesson "
    "FOR EACH ROW EXECUTE FUNCTION lesson_search_touch()",
    "CREATE TRIGGER partnership_search_touch_by_tag AFTER INSERT OR DELETE "
    "ON alliances_taggedpartnership FOR EACH ROW "
    "EXECUTE FUNCTION partnership_search_touch_by_tag()",
    "CREATE TRIGGER partnership_search_touch_by_partner AFTER INSERT OR DELETE "
    "ON alliances_participation FOR EACH ROW "
    "EXECUTE FUNCTION partnership_search_touch_by_partner()",
    "CREATE TRIGGER search_touch_by_tag_name AFTER UPDATE OF name ON taggit_tag "
    "FOR EACH ROW EXECUTE FUNCTION search_touch_by_tag_name()",
    "CREATE TRIGGER search_touch_by_organisation_name AFTER UPDATE OF name "
    "ON alliances_organisation FOR EACH ROW "
    "EXECUTE FUNCTION search_touch_by_organisation_name()",
    # Index what already exists.
    "UPDATE lessons_lesson SET title = title",
    "UPDATE alliances_partnership SET name = name",
    "CREATE INDEX lesson_search_gin ON lessons_lesson USING gin (search_vector)",
    "CREATE INDEX partnership_search_gin ON alliances_partnership USING gin (search_vector)",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS search_touch_by_organisation_name ON alliances_organisation",
    "DROP TRIGGER IF EXISTS search_touch_by_tag_name ON taggit_tag",
    "DROP TRIGGER IF EXISTS partnership_search_touch_by_partner ON alliances_participation",
    "DROP TRIGGER IF EXISTS partnership_search_touch_by_tag ON alliances_taggedpartnership",
    "DROP TRIGGER IF EXISTS lesson_search_touch ON lessons_taggedlesson",
    "DROP TRIGGER IF EXISTS partnership_search_vector ON alliances_partnership",
    "DROP TRIGGER IF EXISTS lesson_search_vector ON lessons_lesson",
    *(
        f"DROP FUNCTION IF EXISTS {name}()"
        for name in (
            "search_touch_by_organisation_name",
            "search_touch_by_tag_name",
            "partnership_search_touch_by_partner",
            "partnership_search_touch_by_tag",
            "lesson_search_touch",
            "partnership_search_vector",
            "lesson_search_vector",
        )
    ),
    "ALTER TABLE lessons_lesson DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE alliances_partnership DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0003_submissions"),
        ("alliances", "0003_submissions"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
