"""The templates gallery: the workflow templates under ``bottemplates/`` (``selectors``), the
*use this template* form (``forms``) and the copy it makes (``services``)."""
