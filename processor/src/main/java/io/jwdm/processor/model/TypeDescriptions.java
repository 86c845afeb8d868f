package io.jwdm.processor.model;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.type.WildcardType;

/**
 * Renders types and methods for messages the way a driver writes them (simple names), the same
 * under every compiler; {@code TypeMirror.toString()} differs between javac and ECJ.
 */
public final class TypeDescriptions {
  private TypeDescriptions() {}

  /**
   * A type as source code names it, with simple class names: {@code List<String>}, {@code int[]}.
   */
  public static String describe(TypeMirror type) {
    switch (type.getKind()) {
      case DECLARED:
        DeclaredType declared = (DeclaredType) type;
        String name = simpleName(declared.asElement());
        if (declared.getTypeArguments().isEmpty()) {
          return name;
        }
        return name
            + declared.getTypeArguments().stream()
                .map(TypeDescriptions::describe)
                .collect(Collectors.joining(", ", "<", ">"));
      case ARRAY:
        return describe(((ArrayType) type).getComponentType()) + "[]";
      case TYPEVAR:
        return ((TypeVariable) type).asElement().getSimpleName().toString();
      case WILDCARD:
        WildcardType wildcard = (WildcardType) type;
        if (wildcard.getExtendsBound() != null) {
          return "? extends " + describe(wildcard.getExtendsBound());
        }
        if (wildcard.getSuperBound() != null) {
          return "? super " + describe(wildcard.getSuperBound());
        }
        return "?";
      case BOOLEAN:
      case BYTE:
      case SHORT:
      case INT:
      case LONG:
      case CHAR:
      case FLOAT:
      case DOUBLE:
      case VOID:
        return type.getKind().name().toLowerCase(Locale.ROOT);
      default:
        return type.toString();
    }
  }

  /** A method as {@code name(ParamType, ParamType)}, such as {@code unload(DriverObject)}. */
  public static String describe(ExecutableElement method) {
    return method.getSimpleName()
        + method.getParameters().stream()
            .map(VariableElement::asType)
            .map(TypeDescriptions::describe)
            .collect(Collectors.joining(", ", "(", ")"));
  }

  /** A list of types as {@code (A, B)}. */
  public static String describe(List<? extends TypeMirror> types) {
    return types.stream()
        .map(TypeDescriptions::describe)
        .collect(Collectors.joining(", ", "(", ")"));
  }

  /** The qualified name of a type, or its simple name when it has none (local, anonymous). */
  public static String qualifiedName(TypeElement type) {
    String qualified = type.getQualifiedName().toString();
    return qualified.isEmpty() ? type.getSimpleName().toString() : qualified;
  }

  private static String simpleName(Element element) {
    return element.getSimpleName().toString();
  }
}
