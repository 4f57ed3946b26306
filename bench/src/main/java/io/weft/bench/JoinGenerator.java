package io.weft.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Input for Join: a users table and an events table, tab-separated.
 *
 * <pre>
 * users/part-00000    u17&lt;TAB&gt;DE&lt;TAB&gt;Marta          user_id, country, name (each id once)
 * events/part-NNNNN   u17&lt;TAB&gt;click&lt;TAB&gt;250          user_id, event type, amount 1..1000
 * </pre>
 *
 * <p>Users get one of {@value #COUNTRY_COUNT} countries. Event users are skewed, as real
 * activity is: user {@code u(floor(N * r^3))} for uniform {@code r}, so the lowest ids get most
 * events and one join key is far hotter than the average. About 2% of events name a user id
 * that is not in the users table (inner join drops them).
 *
 * <p>The target size covers both tables; the users table takes about a twentieth of it.
 */
public final class JoinGenerator implements DataGenerator {
  public static final String USERS_DIR = "users";
  public static final String EVENTS_DIR = "events";
  static final int COUNTRY_COUNT = 40;
  private static final List<String> COUNTRIES = List.of(
      "AR", "AT", "AU", "BE", "BR", "CA", "CH", "CL", "CN", "CO", "CZ", "DE", "DK", "EG", "ES",
      "FI", "FR", "GB", "GR", "HU", "ID", "IE", "IL", "IN", "IT", "JP", "KE", "KR", "MX", "NG",
      "NL", "NO", "NZ", "PL", "PT", "SE", "TR", "UA", "US", "ZA");
  private static final List<String> EVENT_TYPES =
      List.of("view", "click", "search", "add_to_cart", "purchase", "share", "review");
  /** Average users-table line length, to size the users table before writing it. */
  private static final int USER_LINE_BYTES = 20;
  private static final int MISSING_USER_PERCENT = 2;

  private final int eventFiles;

  /** As many event files as {@link DataGenerator#defaultFileCount} says for the size. */
  public JoinGenerator() {
    this(0);
  }

  /** Exactly {@code eventFiles} event files; 0 for the default count. */
  public JoinGenerator(int eventFiles) {
    if (eventFiles < 0) {
      throw new IllegalArgumentException("eventFiles must be >= 0, got " + eventFiles);
    }
    this.eventFiles = eventFiles;
  }

  /** Writes {@code users/part-00000} and {@code events/part-NNNNN}; returns bytes of both. */
  @Override
  public long generate(OutputFactory out, long targetBytes, long seed) throws IOException {
    SplittableRandom root = new SplittableRandom(seed);
    long users = Math.max(100, targetBytes / 20 / USER_LINE_BYTES);
    long total;
    try (AsciiWriter w = new AsciiWriter(out.create(USERS_DIR + "/" + DataGenerator.partName(0)))) {
      writeUsers(w, root.split(), users);
      total = w.written();
    }
    long eventBytes = Math.max(0, targetBytes - total);
    int fileCount = eventFiles > 0 ? eventFiles : DataGenerator.defaultFileCount(eventBytes);
    byte[][] types = ascii(EVENT_TYPES);
    for (int f = 0; f < fileCount; f++) {
      long share = eventBytes / fileCount + (f < eventBytes % fileCount ? 1 : 0);
      SplittableRandom random = root.split();
      try (AsciiWriter w = new AsciiWriter(out.create(EVENTS_DIR + "/" + DataGenerator.partName(f)))) {
        while (w.written() < share) {
          writeEvent(w, random, users, types);
        }
        total += w.written();
      }
    }
    return total;
  }

  private static void writeUsers(AsciiWriter w, SplittableRandom random, long users) throws IOException {
    byte[][] countries = ascii(COUNTRIES);
    for (long id = 0; id < users; id++) {
      w.write((byte) 'u');
      w.writeDecimal(id);
      w.write((byte) '\t');
      w.write(countries[random.nextInt(countries.length)]);
      w.write((byte) '\t');
      w.write((byte) ('A' + random.nextInt(26)));
      int length = 3 + random.nextInt(7);
      for (int i = 0; i < length; i++) {
        w.write((byte) ('a' + random.nextInt(26)));
      }
      w.write((byte) '\n');
    }
  }

  private static void writeEvent(AsciiWriter w, SplittableRandom random, long users, byte[][] types)
      throws IOException {
    long user;
    if (random.nextInt(100) < MISSING_USER_PERCENT) {
      user = users + random.nextLong(users);
    } else {
      double r = random.nextDouble();
      user = Math.min(users - 1, (long) (users * r * r * r));
    }
    w.write((byte) 'u');
    w.writeDecimal(user);
    w.write((byte) '\t');
    w.write(types[random.nextInt(types.length)]);
    w.write((byte) '\t');
    w.writeDecimal(1 + random.nextInt(1000));
    w.write((byte) '\n');
  }

  private static byte[][] ascii(List<String> values) {
    byte[][] bytes = new byte[values.size()][];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = values.get(i).getBytes(StandardCharsets.US_ASCII);
    }
    return bytes;
  }
}
