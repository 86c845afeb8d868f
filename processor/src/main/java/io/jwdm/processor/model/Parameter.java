package io.jwdm.processor.model;

/**
 * One parameter of a routine's required signature.
 *
 * @param type the parameter type's canonical name
 * @param name the parameter name used in suggested fixes and in generated code
 */
public record Parameter(String type, String name) {
  /** The type's simple name, as a driver writes it after importing it. */
  public String simpleType() {
    return type.substring(type.lastIndexOf('.') + 1);
  }

  @Override
  public String toString() {
    return simpleType() + " " + name;
  }
}
