from django.db import migrations, transaction


def keep_vector_inline(apps, schema_editor):
    # A search ranks every match with ts_rank, which reads each match's whole vector. Left
    # EXTENDED, a vector (~1.3 kB) is moved out of line to the TOAST table whenever the row
    # passes 2 kB, so ranking 4,400 matches read 13,000 TOAST pages (34 ms of 'firearms'
    # at 50,000 profiles). MAIN keeps it in the row; search_text, which a PostgreSQL search
    # never reads, is moved out of line in its place. Rewriting each vector applies the new
    # storage to the rows already there.
    if schema_editor.connection.vendor != "postgresql":
        return
    with transaction.atomic(using=schema_editor.connection.alias):
        schema_editor.execute(
            "ALTER TABLE profiles_roleprofile ALTER COLUMN search_vector SET STORAGE MAIN"
        )
        schema_editor.execute(
            "UPDATE profiles_roleprofile SET search_vector = search_vector || ''::tsvector"
            " WHERE search_vector IS NOT NULL"
        )
    # Every row is a new version now, none marked all-visible: until a vacuum the list's
    # index-only scans read the table for each row (a deep page 6 -> 170 ms at 50,000).
    schema_editor.execute("VACUUM ANALYZE profiles_roleprofile")


def let_vector_out(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE profiles_roleprofile ALTER COLUMN search_vector SET STORAGE EXTENDED"
        )


class Migration(migrations.Migration):
    # VACUUM cannot run in a transaction.
    atomic = False

    dependencies = [("profiles", "0017_behaviour_level_profile_index")]

    operations = [migrations.RunPython(keep_vector_inline, let_vector_out, elidable=False)]
