{{ stg_hubspot_association('engagement', 'deal', typed=false) }}
