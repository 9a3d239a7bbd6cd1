{{ stg_marketo_email_activity('activity_unsubscribe_email') }}
