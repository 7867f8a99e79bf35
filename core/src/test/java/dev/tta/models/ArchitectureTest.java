package dev.tta.models;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.tta.models");

  @Test
  void core_importsNoProviderStoreOrServerCode() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.tta.models.providers..", "dev.tta.models.store..", "dev.tta.models.server..")
        .check(CORE);
  }

  @Test
  void featurePackages_haveNoCycles() {
    slices().matching("dev.tta.models.(*)..").should().beFreeOfCycles().check(CORE);
  }

  @Test
  void records_andSpi_dependOnNoDecisionLogic() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.tta.models.catalog..", "dev.tta.models.chat..", "dev.tta.models.provider..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.tta.models.selection..",
            "dev.tta.models.fallback..",
            "dev.tta.models.monitoring..",
            "dev.tta.models.routing..")
        .check(CORE);
  }

  @Test
  void decisionLogic_readsNoWallClock() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.tta.models.selection..",
            "dev.tta.models.fallback..",
            "dev.tta.models.monitoring..",
            "dev.tta.models.routing..")
        .should()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .callMethod(java.time.Instant.class, "now")
        .check(CORE);
  }
}
