package dev.jnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The API packages ({@code dev.jnet}, {@code dev.jnet.message}) never mention Netty: no public or
 * protected signature of their public types names io.netty. The SPI ({@code dev.jnet.spi}) may,
 * since transports are built on Netty's channels; its public types are listed here, so that a new
 * one is a decision.
 */
class ApiSurfaceTest {
  private static final List<String> API_PACKAGES =
      List.of("dev/jnet", "dev/jnet/message", "dev/jnet/tls");
  private static final List<Class<?>> SPI =
      List.of(
          dev.jnet.spi.Transport.class,
          dev.jnet.spi.Capability.class,
          dev.jnet.spi.ChannelTransport.class,
          dev.jnet.spi.IoEngine.class,
          dev.jnet.spi.IoEngine.Kind.class,
          dev.jnet.spi.BindPlan.class,
          dev.jnet.spi.SystemErrors.class,
          dev.jnet.spi.PeerExpectation.class,
          dev.jnet.spi.ServerChannels.class,
          dev.jnet.spi.Log.class);

  @Test
  void noPublicSignatureOfTheApiMentionsNetty() throws Exception {
    List<String> offenders = new ArrayList<>();
    for (Class<?> c : publicTypes(API_PACKAGES)) {
      check(c.getName(), c.getGenericSuperclass(), offenders);
      for (Type t : c.getGenericInterfaces()) {
        check(c.getName(), t, offenders);
      }
      for (Method m : c.getDeclaredMethods()) {
        if (visible(m.getModifiers())) {
          checkExecutable(c.getName() + "." + m.getName(), m, offenders);
          check(c.getName() + "." + m.getName(), m.getGenericReturnType(), offenders);
        }
      }
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        if (visible(k.getModifiers())) {
          checkExecutable(c.getName() + ".<init>", k, offenders);
        }
      }
      for (Field f : c.getDeclaredFields()) {
        if (visible(f.getModifiers())) {
          check(c.getName() + "." + f.getName(), f.getGenericType(), offenders);
        }
      }
    }
    assertThat(offenders).as("public signatures naming io.netty").isEmpty();
  }

  @Test
  void theApiIsFoundAndTheSpiIsTheListedTypes() throws Exception {
    assertThat(publicTypes(API_PACKAGES))
        .contains(Net.class, Socket.class, Server.class, dev.jnet.message.MessageServer.class);
    assertThat(publicTypes(List.of("dev/jnet/spi"))).containsExactlyInAnyOrderElementsOf(SPI);
  }

  private static List<Class<?>> publicTypes(List<String> packages) throws Exception {
    Path root = Path.of(Net.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> found = new ArrayList<>();
    for (String pkg : packages) {
      try (Stream<Path> files = Files.list(root.resolve(pkg))) {
        for (Path p : (Iterable<Path>) files::iterator) {
          String n = p.getFileName().toString();
          if (n.endsWith(".class") && !n.equals("package-info.class")) {
            Class<?> c =
                Class.forName(pkg.replace('/', '.') + "." + n.substring(0, n.length() - 6));
            if (Modifier.isPublic(c.getModifiers()) && visibleFromOutside(c)) {
              found.add(c);
            }
          }
        }
      }
    }
    return found;
  }

  /** A public nested type of a package-private class is not part of the API. */
  private static boolean visibleFromOutside(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!Modifier.isPublic(k.getModifiers())) {
        return false;
      }
    }
    return true;
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static void checkExecutable(String where, Executable e, List<String> offenders) {
    for (Type t : e.getGenericParameterTypes()) {
      check(where, t, offenders);
    }
    for (Type t : e.getGenericExceptionTypes()) {
      check(where, t, offenders);
    }
  }

  private static void check(String where, Type t, List<String> offenders) {
    if (t != null && t.getTypeName().contains("io.netty")) {
      offenders.add(where + ": " + t.getTypeName());
    }
  }
}
