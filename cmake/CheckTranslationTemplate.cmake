# cmake -DLUPDATE=... -DSOURCES_LIST=... -DOUTPUT=... -DCOMMITTED=... -P CheckTranslationTemplate.cmake
#
# Runs lupdate over the sources the build translates and checks the template it writes, and the
# template committed in translations/: each must exist and hold a message of the window (a state
# label of kw::StateStyle) and messages of lib/ that the window shows (a session detail of
# kw::RetryingSession, a workspace error of kw::Workspace). A message that stops reaching lupdate,
# because it lost its tr() or its context, fails here.
foreach(var LUPDATE SOURCES_LIST OUTPUT COMMITTED)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "CheckTranslationTemplate.cmake: -D${var}=... is required")
    endif()
endforeach()

file(REMOVE "${OUTPUT}")
execute_process(
    COMMAND "${LUPDATE}" -silent -locations none "@${SOURCES_LIST}" -ts "${OUTPUT}"
    RESULT_VARIABLE result
    OUTPUT_VARIABLE out
    ERROR_VARIABLE err)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "lupdate failed (${result}):\n${out}\n${err}")
endif()

# Each entry: the context, then a source text as lupdate writes it (XML-escaped).
set(expected
    "kw::StateStyle|<source>Suspect</source>"
    "kw::RetryingSession|<source>next attempt in %1</source>"
    "kw::Workspace|<source>line %1, column %2: JSON syntax error: %3</source>")

foreach(ts "${OUTPUT}" "${COMMITTED}")
    if(NOT EXISTS "${ts}")
        message(FATAL_ERROR "${ts}: missing; run the update_translations target")
    endif()
    file(READ "${ts}" content)
    foreach(entry IN LISTS expected)
        string(FIND "${entry}" "|" bar)
        string(SUBSTRING "${entry}" 0 ${bar} context)
        math(EXPR start "${bar} + 1")
        string(SUBSTRING "${entry}" ${start} -1 source)
        # The message must sit inside its own context, not merely appear somewhere in the file.
        string(FIND "${content}" "<name>${context}</name>" at)
        if(at EQUAL -1)
            message(FATAL_ERROR "${ts}: no context ${context}; run the update_translations target")
        endif()
        string(SUBSTRING "${content}" ${at} -1 rest)
        string(FIND "${rest}" "</context>" end)
        string(SUBSTRING "${rest}" 0 ${end} block)
        string(FIND "${block}" "${source}" found)
        if(found EQUAL -1)
            message(FATAL_ERROR "${ts}: context ${context} lacks ${source}; run the update_translations target")
        endif()
    endforeach()
    message(STATUS "${ts}: ${context} and the other expected messages are present")
endforeach()
