package io.weft.yarn.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.weft.executor.DriverLocator;
import io.weft.yarn.AppSecret;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.Credentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor finds the application secret in the token file a NodeManager writes for its
 * container (the same format: {@code Credentials.writeTokenStorageFile}, as YARN does), without
 * logging in through {@code UserGroupInformation}.
 */
class YarnExecutorMainTest {
  @TempDir
  Path tmp;

  @Test
  void theSecretIsReadFromTheContainersTokenFile() throws IOException {
    byte[] secret = AppSecret.generate(new SecureRandom());
    Credentials written = new Credentials();
    AppSecret.addTo(written, secret);
    written.addSecretKey(new org.apache.hadoop.io.Text("other"), new byte[] {1, 2, 3});
    Path file = tmp.resolve("container_tokens");
    written.writeTokenStorageFile(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration());

    assertArrayEquals(secret, AppSecret.readFrom(YarnExecutorMain.containerCredentials(file.toString())));
  }

  @Test
  void aTokenFileWithoutTheSecretIsRefusedNamingIt() throws IOException {
    Path file = tmp.resolve("empty_tokens");
    new Credentials().writeTokenStorageFile(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> AppSecret.readFrom(YarnExecutorMain.containerCredentials(file.toString())));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("weft.application.secret"), e.getMessage());
  }

  @Test
  void theDriversAttemptIsTheOneThatAllocatedTheContainer() {
    assertEquals(2, YarnExecutorMain.driverAttempt("container_1700000000000_0007_02_000005"));
    assertEquals(1, YarnExecutorMain.driverAttempt("container_e03_1700000000000_0007_01_000002"), "with an RM epoch");
    assertEquals(DriverLocator.Address.UNKNOWN_ATTEMPT, YarnExecutorMain.driverAttempt(null));
    assertEquals(DriverLocator.Address.UNKNOWN_ATTEMPT, YarnExecutorMain.driverAttempt("not-a-container"));
  }
}
