{{ stg_hubspot_association('deal', 'company') }}
