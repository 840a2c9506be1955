"""The lesson app: built notebooks served by standalone Voilà with NetWise's settings.

One module per concern, as in Voilà: ``config`` (the one configuration object),
``site`` (what is served), ``handlers`` (the pages), ``pool`` (preheated kernels and
counting students), ``executor`` (logging failing cells) and ``server`` (the Voilà
application, with the two patches Voilà has no trait for).
"""
