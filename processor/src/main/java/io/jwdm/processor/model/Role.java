package io.jwdm.processor.model;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The role a routine annotation gives a driver method: one of the WDK's standard driver routines,
 * with the signature the kernel calls it with.
 */
public enum Role {
  /** {@code @DriverEntry}: DRIVER_INITIALIZE. */
  DRIVER_ENTRY(
      "DriverEntry",
      "DRIVER_INITIALIZE",
      "DriverEntry routine",
      Names.NT_STATUS,
      "driverEntry",
      List.of(
          new Parameter(Names.DRIVER_OBJECT, "driver"),
          new Parameter("java.lang.String", "registryPath"))),

  /** {@code @AddDevice}: DRIVER_ADD_DEVICE. */
  ADD_DEVICE(
      "AddDevice",
      "DRIVER_ADD_DEVICE",
      "AddDevice routine",
      Names.NT_STATUS,
      "addDevice",
      List.of(
          new Parameter(Names.DRIVER_OBJECT, "driver"),
          new Parameter(Names.DEVICE_OBJECT, "physicalDeviceObject"))),

  /** {@code @Dispatch}: DRIVER_DISPATCH. */
  DISPATCH(
      "Dispatch",
      "DRIVER_DISPATCH",
      "dispatch routine",
      Names.NT_STATUS,
      "dispatch",
      List.of(new Parameter(Names.DEVICE_OBJECT, "device"), new Parameter(Names.IRP, "irp"))),

  /** {@code @StartIo}: DRIVER_STARTIO. */
  START_IO(
      "StartIo",
      "DRIVER_STARTIO",
      "StartIo routine",
      "void",
      "startIo",
      List.of(new Parameter(Names.DEVICE_OBJECT, "device"), new Parameter(Names.IRP, "irp"))),

  /** {@code @Unload}: DRIVER_UNLOAD. */
  UNLOAD(
      "Unload",
      "DRIVER_UNLOAD",
      "Unload routine",
      "void",
      "unload",
      List.of(new Parameter(Names.DRIVER_OBJECT, "driver")));

  private final String annotationSimpleName;
  private final String wdkRoleType;
  private final String description;
  private final String returnType;
  private final String defaultMethodName;
  private final List<Parameter> parameters;

  Role(
      String annotationSimpleName,
      String wdkRoleType,
      String description,
      String returnType,
      String defaultMethodName,
      List<Parameter> parameters) {
    this.annotationSimpleName = annotationSimpleName;
    this.wdkRoleType = wdkRoleType;
    this.description = description;
    this.returnType = returnType;
    this.defaultMethodName = defaultMethodName;
    this.parameters = parameters;
  }

  /** The role whose annotation has the given canonical name, if any. */
  public static Optional<Role> forAnnotation(String canonicalName) {
    for (Role role : values()) {
      if (role.annotationName().equals(canonicalName)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }

  /** The canonical name of the annotation, such as {@code io.jwdm.annotation.Unload}. */
  public String annotationName() {
    return Names.ANNOTATION_PACKAGE + "." + annotationSimpleName;
  }

  /** The annotation as a driver writes it, such as {@code @Unload}. */
  public String annotation() {
    return "@" + annotationSimpleName;
  }

  /** The WDK role type, such as {@code DRIVER_UNLOAD}. */
  public String wdkRoleType() {
    return wdkRoleType;
  }

  /** A phrase naming the routine kind in a message, such as {@code "Unload routine"}. */
  public String description() {
    return description;
  }

  /** {@code "void"}, or the canonical name of the required return type. */
  public String returnType() {
    return returnType;
  }

  /** The required return type as a driver writes it: {@code void} or {@code NtStatus}. */
  public String simpleReturnType() {
    return returnType.substring(returnType.lastIndexOf('.') + 1);
  }

  /** Whether the routine returns nothing. */
  public boolean returnsVoid() {
    return returnType.equals("void");
  }

  /** The required parameters, in order. */
  public List<Parameter> parameters() {
    return parameters;
  }

  /** The method name suggested when a fix adds this routine. */
  public String defaultMethodName() {
    return defaultMethodName;
  }

  /** Whether a driver may have at most one routine of this role (all but dispatch routines). */
  public boolean isSingle() {
    return this != DISPATCH;
  }

  /**
   * The required signature with the given method name, without annotation or modifiers, such as
   * {@code void unload(DriverObject driver)}.
   */
  public String signature(String methodName) {
    return simpleReturnType()
        + " "
        + methodName
        + parameters.stream().map(Parameter::toString).collect(Collectors.joining(", ", "(", ")"));
  }
}
