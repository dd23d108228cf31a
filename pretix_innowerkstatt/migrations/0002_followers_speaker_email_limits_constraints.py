# Followers of a format, the speaker's private email, the public switch of a format's series
# calendar, text length limits, and one external ID per item/speaker (imports run one at a time).

import django.db.models.deletion
import i18nfield.fields
from django.db import migrations, models


def clear_duplicate_external_ids(apps, schema_editor):
    """Keep the oldest row per external ID and blank the ID of later duplicates.

    Imports that ran at the same time before this release could write the same external ID
    twice; the unique constraints below would then fail. Nothing is deleted: a row that loses
    its ID is only no longer matched by the next import.
    """
    for name, scope in (("Speaker", ("organizer_id",)), ("AgendaItem", ("event_id", "subevent_id"))):
        model, seen = apps.get_model("pretix_innowerkstatt", name), set()
        for row in model.objects.exclude(external_id="").order_by("pk").values("pk", "external_id", *scope):
            key = (row["external_id"], *(row[field] for field in scope))
            if key in seen:
                model.objects.filter(pk=row["pk"]).update(external_id="")
            seen.add(key)


class Migration(migrations.Migration):

    dependencies = [
        ('pretix_innowerkstatt', '0001_initial'),
        ('pretixbase', '0298_pluggable_permissions'),
    ]

    operations = [
        migrations.CreateModel(
            name='Announcement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ('sent', models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.CreateModel(
            name='Attribution',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
            ],
        ),
        migrations.CreateModel(
            name='Follower',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ('email', models.EmailField(max_length=254)),
                ('locale', models.CharField(max_length=16)),
                ('state', models.CharField(default='pending', max_length=10)),
                ('source', models.CharField(default='form', max_length=10)),
                ('consent_text', models.TextField()),
                ('consent_at', models.DateTimeField()),
                ('confirmed_at', models.DateTimeField(blank=True, null=True)),
                ('created', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ('created', 'id'),
            },
        ),
        migrations.CreateModel(
            name='FollowSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ('consent_text', i18nfield.fields.I18nTextField(null=True)),
                ('announce_automatically', models.BooleanField(default=True)),
                ('announcement_subject', i18nfield.fields.I18nCharField(max_length=200, null=True)),
                ('announcement_text', i18nfield.fields.I18nTextField(null=True)),
                ('unsubscribed', models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.AddField(
            model_name='format',
            name='public',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='format',
            name='version',
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name='speaker',
            name='email',
            field=models.EmailField(default='', max_length=254),
        ),
        migrations.AlterField(
            model_name='agendaitem',
            name='description',
            field=i18nfield.fields.I18nTextField(max_length=20000),
        ),
        migrations.AlterField(
            model_name='agendaitem',
            name='title',
            field=i18nfield.fields.I18nCharField(max_length=200),
        ),
        migrations.AlterField(
            model_name='speaker',
            name='biography',
            field=i18nfield.fields.I18nTextField(max_length=10000),
        ),
        migrations.RunPython(clear_duplicate_external_ids, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='agendaitem',
            constraint=models.UniqueConstraint(condition=models.Q(('subevent__isnull', False), models.Q(('external_id', ''), _negated=True)), fields=('event', 'subevent', 'external_id'), name='innowerkstatt_item_external_id_once_per_date', violation_error_message='Another agenda item of this date already has this external ID.'),
        ),
        migrations.AddConstraint(
            model_name='agendaitem',
            constraint=models.UniqueConstraint(condition=models.Q(('subevent__isnull', True), models.Q(('external_id', ''), _negated=True)), fields=('event', 'external_id'), name='innowerkstatt_item_external_id_once_per_event', violation_error_message='Another agenda item of this event already has this external ID.'),
        ),
        migrations.AddConstraint(
            model_name='speaker',
            constraint=models.UniqueConstraint(condition=models.Q(('external_id', ''), _negated=True), fields=('organizer', 'external_id'), name='innowerkstatt_speaker_external_id_once', violation_error_message='Another speaker of this organizer already has this external ID.'),
        ),
        migrations.AddField(
            model_name='announcement',
            name='edition',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follower_announcements', to='pretix_innowerkstatt.edition'),
        ),
        migrations.AddField(
            model_name='attribution',
            name='announcement',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='orders', to='pretix_innowerkstatt.announcement'),
        ),
        migrations.AddField(
            model_name='attribution',
            name='edition',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follower_attributions', to='pretix_innowerkstatt.edition'),
        ),
        migrations.AddField(
            model_name='attribution',
            name='order',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='innowerkstatt_attribution', to='pretixbase.order'),
        ),
        migrations.AddField(
            model_name='follower',
            name='format',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='followers', to='pretix_innowerkstatt.format'),
        ),
        migrations.AddField(
            model_name='announcement',
            name='follower',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='announcements', to='pretix_innowerkstatt.follower'),
        ),
        migrations.AddField(
            model_name='followsettings',
            name='format',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='follow_settings', to='pretix_innowerkstatt.format'),
        ),
        migrations.AddIndex(
            model_name='follower',
            index=models.Index(fields=['format', 'state'], name='innowerkstatt_follower_state'),
        ),
        migrations.AddConstraint(
            model_name='follower',
            constraint=models.UniqueConstraint(fields=('format', 'email'), name='innowerkstatt_follower_once_per_format'),
        ),
        migrations.AddConstraint(
            model_name='announcement',
            constraint=models.UniqueConstraint(fields=('follower', 'edition'), name='innowerkstatt_announcement_once'),
        ),
    ]
