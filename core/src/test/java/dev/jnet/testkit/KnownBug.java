package dev.jnet.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a stress case that finds a known bug whose fix lands on another branch: the case is
 * skipped, with the reason, on the transports and engines listed, and runs everywhere else. {@code
 * -Djnet.stress.knownBugs=run} runs it everywhere (to watch it fail, or to check a fix). Delete the
 * annotation once the fix is merged.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ExtendWith(KnownBugCondition.class)
@Repeatable(KnownBug.List.class)
public @interface KnownBug {
  /**
   * Returns the bug: its issue item and where the fix is.
   *
   * @return the reason shown when the case is skipped
   */
  String value();

  /**
   * Returns the fixture names ({@link TransportFixture#name()}) the bug shows on; empty means every
   * transport.
   *
   * @return the names
   */
  String[] transports() default {};

  /**
   * Returns the engines ({@code epoll}, {@code nio}) the bug shows on; empty means both.
   *
   * @return the engines
   */
  String[] engines() default {};

  /** Several known bugs on one case. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @ExtendWith(KnownBugCondition.class)
  @interface List {
    /**
     * Returns the bugs.
     *
     * @return the bugs
     */
    KnownBug[] value();
  }
}
