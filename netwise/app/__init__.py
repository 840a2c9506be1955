"""The lesson app: built notebooks served by standalone Voilà with NetWise's settings.

One module per concern, as in Voilà: ``config`` (the one configuration object),
``site`` (what is served), ``handlers`` (the pages), ``pool`` (preheated kernels and
counting students), ``executor`` (logging failing cells) and ``server`` (the Voilà
application, with the patches Voilà has no trait for); and, against a hostile visitor and a
whole year group, ``admission`` (the cap, owners, culling), ``guard`` (Host, headers, owner
cookie, friendly errors), ``channels`` (the kernel websocket's limits), ``logsafe``, ``limits``
(open files, ZeroMQ sockets), ``pages`` and ``exporter`` (templates compiled once).
"""
