{{ stg_hubspot_association('engagement', 'contact', typed=false) }}
