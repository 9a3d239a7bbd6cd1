{{ stg_hubspot_association('deal', 'contact') }}
