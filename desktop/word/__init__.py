"""Printouts as Word documents filled from a template (issue 21): ``forms`` (which printouts, their fields, the
branch's own template), ``render`` (docxtpl with Chinese errors), ``defaults`` (the shipped templates). Qt-free
except where a form reuses a printout's text (imported inside its context function)."""
