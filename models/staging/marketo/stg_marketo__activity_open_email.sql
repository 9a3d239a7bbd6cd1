{{ stg_marketo_email_activity('activity_open_email') }}
