package io.weft.network.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM over one direction of a connection. Record {@code n} (counted from 0) uses the
 * 12-byte nonce {@code 0x00000000 | n (big-endian int64)}: the key is unique to this connection
 * and direction ({@link SessionKeys}), so a counter never repeats a nonce under a key. The
 * counter also orders the records: a record replayed, dropped or reordered by someone on the
 * path fails its tag, as does any altered byte.
 *
 * <p>Not thread-safe: one instance per direction, used on the connection's event loop.
 */
final class RecordCipher {
  static final int TAG_BYTES = 16;
  private final Cipher cipher;
  private final SecretKeySpec key;
  private final int mode;
  private final byte[] nonce = new byte[12];
  private long counter;

  RecordCipher(byte[] key, boolean encrypt) {
    this.key = new SecretKeySpec(key, "AES");
    this.mode = encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
    try {
      this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM unavailable", e); // mandatory in every JRE
    }
  }

  /** Seals {@code len} bytes of {@code in} into a new array of {@code len + 16} bytes. */
  byte[] seal(byte[] in, int off, int len) throws GeneralSecurityException {
    return run(in, off, len);
  }

  /** Opens a sealed record; throws {@code AEADBadTagException} if it was altered or misordered. */
  byte[] open(byte[] in, int off, int len) throws GeneralSecurityException {
    return run(in, off, len);
  }

  private byte[] run(byte[] in, int off, int len) throws GeneralSecurityException {
    long n = counter++;
    for (int i = 0; i < 8; i++) {
      nonce[4 + i] = (byte) (n >>> (56 - 8 * i));
    }
    cipher.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
    return cipher.doFinal(in, off, len);
  }
}
