package dev.jnet.cli.spec;

import dev.jnet.Endpoint;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses an ENDPOINT argument with {@link Endpoint#parse}; a bad one is a usage error that shows
 * the grammar.
 */
public final class EndpointConverter implements ITypeConverter<Endpoint> {
  @Override
  public Endpoint convert(String value) {
    try {
      return Endpoint.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
