{{ stg_hubspot_deal_association('contact') }}
