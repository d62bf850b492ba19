-- BLE identity keys encrypted at rest. ble_identity_key_sealed holds AES-256-GCM of the 16-byte identity key:
-- format version (1) ‖ key id (1) ‖ nonce (12) ‖ ciphertext (16) ‖ tag (16), with the header and the participant id
-- as associated data, under EventKit:Security:BleKeyEncryptionKey (EVENTKIT_BLE_KEY_ENCRYPTION_KEY). The plaintext column
-- stays for rows written before this version (and for Development without a key); a node started with the key seals
-- them and sets ble_identity_key to NULL. A row holds one or the other, never both.
ALTER TABLE participants ADD COLUMN IF NOT EXISTS ble_identity_key_sealed bytea CHECK (octet_length(ble_identity_key_sealed) = 46);

-- 0001's unnamed table check (PostgreSQL named it participants_check) tied the rotation exponent and the clock offset
-- to the plaintext column only.
ALTER TABLE participants DROP CONSTRAINT IF EXISTS participants_check;
ALTER TABLE participants ADD CONSTRAINT participants_ble_identity_check CHECK (
    (ble_identity_key IS NULL OR ble_identity_key_sealed IS NULL)
    AND ((ble_identity_key IS NULL AND ble_identity_key_sealed IS NULL) = (ble_rotation_exponent IS NULL))
    AND ((ble_rotation_exponent IS NULL) = (ble_clock_offset IS NULL))
);
