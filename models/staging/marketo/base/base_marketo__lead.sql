{{ classify_raw_rows(source('marketo', 'lead'), ['id']) }}
