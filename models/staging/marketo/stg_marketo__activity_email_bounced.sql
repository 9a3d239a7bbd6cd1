{{ stg_marketo_email_activity('activity_email_bounced') }}
