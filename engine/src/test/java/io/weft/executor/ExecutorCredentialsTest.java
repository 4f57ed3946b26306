package io.weft.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.apache.hadoop.io.DataOutputBuffer;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.junit.jupiter.api.Test;

/** Tokens the driver pushes (UpdateCredentials) end up in the executor process's user. */
class ExecutorCredentialsTest {
  @Test
  void pushedTokensReplaceTheOldOnesOfTheSameService() throws Exception {
    Text service = new Text("127.0.0.1:8020");
    ExecutorCredentials.add(storage(service, "old-password"));
    assertEquals(1, ExecutorCredentials.add(storage(service, "new-password")));
    Token<?> now = UserGroupInformation.getCurrentUser().getCredentials().getToken(service);
    assertArrayEquals("new-password".getBytes(StandardCharsets.UTF_8), now.getPassword());
  }

  private static byte[] storage(Text service, String password) throws Exception {
    Credentials creds = new Credentials();
    creds.addToken(service, new Token<>("id".getBytes(StandardCharsets.UTF_8),
        password.getBytes(StandardCharsets.UTF_8), new Text("HDFS_DELEGATION_TOKEN"), service));
    try (DataOutputBuffer out = new DataOutputBuffer()) {
      creds.writeTokenStorageToStream(out);
      return java.util.Arrays.copyOf(out.getData(), out.getLength());
    }
  }
}
