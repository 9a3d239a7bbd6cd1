{{ stg_marketo_email_activity('activity_send_email') }}
