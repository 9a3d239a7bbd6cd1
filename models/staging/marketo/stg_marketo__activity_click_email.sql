{{ stg_marketo_email_activity('activity_click_email', has_link=true) }}
