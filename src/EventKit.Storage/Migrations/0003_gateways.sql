-- BLE gateways: scanners at gates that report adverts. Only the SHA-256 of their API key is stored.
CREATE TABLE IF NOT EXISTS gateways (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id     bigint      NOT NULL CHECK (event_id > 0),
    name         text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    gate_id      bigint      NOT NULL REFERENCES gates (id),
    api_key_hash bytea       NOT NULL CHECK (length(api_key_hash) = 32),
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS gateways_gate_id_idx ON gateways (gate_id);
