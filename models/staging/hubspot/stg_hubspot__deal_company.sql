{{ stg_hubspot_deal_association('company') }}
